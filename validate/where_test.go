package validate

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/tradeetl/tradeetl/schemas"
)

// The where conditions compiled into Go agree with the expr VM, and those
// of other shapes are left to the VM.
func TestWhereFast(t *testing.T) {
	tests := []struct {
		src  string
		fast bool
	}{
		{`reporter_parent != ""`, true},
		{`reporter == "Wallonia"`, true},
		{`"Wallonia" == reporter`, true},
		{`year >= 2012`, true},
		{`2012 < year`, true},
		{`year == 2013 && reporter != "France"`, true},
		{`year < 2012 || !(flow == "deficit")`, true},
		{`not has_value or has_value_eur`, true},
		{`has_value == false`, true},
		{`true`, true},
		{`(decimals <= 1) and (unit == "EUR")`, true},
		{`value > 1`, false},
		{`reporter in ["Flanders", "Wallonia"]`, false},
		{`reporter == partner`, false},
		{`reporter < "M"`, false},
		{`year == 2013.0`, false},
		{`len(reporter) > 3`, false},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	var obs []schemas.Observation
	for range 300 {
		obs = append(obs, schemas.Observation{
			Reporter: pick("Belgium", "Flanders", "Wallonia", "France", ""), ReporterParent: pick("", "Belgium"),
			Partner: pick("France", "World"), Flow: pick("exports", "deficit"), Unit: pick("EUR", "%"),
			Year: 2010 + rng.IntN(5), Decimals: rng.IntN(3), HasValue: rng.IntN(2) == 0, HasValueEUR: rng.IntN(2) == 0,
			Value: float64(rng.IntN(3)),
		})
	}
	var machine vm.VM
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			prog, err := expr.Compile(tt.src, expr.Env(schemas.Observation{}), expr.AsBool())
			if err != nil {
				t.Fatal(err)
			}
			fast := compileWhereFast(tt.src)
			if (fast != nil) != tt.fast {
				t.Fatalf("compiled into Go: %v, want %v", fast != nil, tt.fast)
			}
			if fast == nil {
				return
			}
			seen := map[bool]bool{}
			for i := range obs {
				out, err := machine.Run(prog, &obs[i])
				want := err == nil && out == true
				if got := fast(&obs[i]); got != want {
					t.Fatalf("observation %+v: %v, the VM says %v", obs[i], got, want)
				}
				seen[want] = true
			}
			if tt.src != "true" && len(seen) != 2 {
				t.Errorf("the observations test one outcome only: %v", seen)
			}
		})
	}
}

// The getters read what reflection reads, for every field rules may name.
func TestFieldGetters(t *testing.T) {
	o := schemas.Observation{}
	v := reflect.ValueOf(&o).Elem()
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString("s" + strconv.Itoa(i))
		case reflect.Int:
			f.SetInt(int64(100 + i))
		case reflect.Bool:
			f.SetBool(i%2 == 0)
		}
	}
	n := 0
	for _, f := range obsFields {
		if !f.textual() {
			continue
		}
		want := v.Field(f.index)
		var got any
		switch f.kind {
		case reflect.String:
			got = f.str(&o)
		case reflect.Int:
			got = f.integer(&o)
		case reflect.Bool:
			got = f.boolean(&o)
		}
		wantAny := want.Interface()
		if f.kind == reflect.Int {
			wantAny = want.Int()
		}
		if got != wantAny {
			t.Errorf("%s: getter %v, reflection %v", f.name, got, wantAny)
		}
		if _, ok := getters[f.name]; ok {
			n++
		}
	}
	if n != len(getters) {
		t.Errorf("%d getters name fields of schemas.Observation, of %d", n, len(getters))
	}
}
